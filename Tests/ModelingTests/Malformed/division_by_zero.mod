param p := 1 / 0;
var x >= p;
minimize z: x;
end;
