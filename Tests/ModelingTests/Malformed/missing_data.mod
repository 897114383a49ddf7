param a;
var x >= a;
minimize z: x;
solve;
end;
