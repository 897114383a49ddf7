NAME          X
ENDATA
