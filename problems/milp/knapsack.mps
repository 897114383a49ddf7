* A two-item 0/1 knapsack: maximize 8b + a with 4a + b <= 2. The LP relaxation takes
* b = 1 and a quarter of a (value 8.25); the integer optimum is b = 1, a = 0 (value 8).
* An LP solver must not answer 8.25 "optimal": it is refused unless --relax is given.
NAME          knapsack
OBJSENSE
    MAX
ROWS
 N  value
 L  weight
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    a         value        1.0   weight       4.0
    b         value        8.0   weight       1.0
    MARKER                 'MARKER'                 'INTEND'
RHS
    rhs       weight       2.0
BOUNDS
 UP bnd       a            1.0
 UP bnd       b            1.0
ENDATA
