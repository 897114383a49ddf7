NAME          BAD
ROWS
 N  COST
 L  R1
 G  R2
COLUMNS
    X1        COST                 1   R1                   1
    X1        R2                   1
