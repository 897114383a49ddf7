# A diet problem (problems/lp/diet.yaml): meet nutrient minimums at least cost.
# The data is in small_diet.dat (lagrange solve small_diet.mod --data small_diet.dat).
set FOOD;
set NUTRIENT;
param cost{FOOD} >= 0;
param most{FOOD} >= 0;
param need{NUTRIENT} >= 0;
param amount{NUTRIENT, FOOD} >= 0;
var serve{f in FOOD} >= 0, <= most[f];
minimize total: sum{f in FOOD} cost[f] * serve[f];
s.t. enough{n in NUTRIENT}: sum{f in FOOD} amount[n, f] * serve[f] >= need[n];
end;
