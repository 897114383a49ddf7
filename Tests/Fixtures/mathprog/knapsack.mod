# A 0/1 knapsack (a MILP): the best load is items 2, 3 and 4 (weight 14, value 21).
set ITEM := 1..4;
param value{ITEM};
param weight{ITEM};
var take{ITEM} binary;
maximize load: sum{i in ITEM} value[i] * take[i];
s.t. capacity: sum{i in ITEM} weight[i] * take[i] <= 14;
data;
param value := 1 8, 2 11, 3 6, 4 4;
param weight := 1 5, 2 7, 3 4, 4 3;
end;
