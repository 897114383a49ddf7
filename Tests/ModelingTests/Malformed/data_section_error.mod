set S;
var x{S} >= 0;
minimize z: sum{s in S} x[s];
data;
set S := a b;
param q := 3;
end;
