NAME          BAD
ROWS
 N  COST
 L  R1   EXTRA
 G  R2
COLUMNS
    X1        COST                 1   R1                   1
    X1        R2                   1
    X2        COST                 2   R1                   1
RHS
    RHS       R1                   4   R2                   1
BOUNDS
 UP BND       X1                   3
ENDATA
