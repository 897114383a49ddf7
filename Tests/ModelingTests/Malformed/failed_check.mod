var x >= 0;
minimize z: x;
check 1 > 2;
end;
