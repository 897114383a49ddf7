var x >= 0;
minimize z: y;
end;
