# The seed LP (problems/lp/seed.yaml): minimize x1 + x2 + x3 subject to x1 + x2 + 2 x3 = 4, x >= 0.
var x{1..3} >= 0;
minimize cost: x[1] + x[2] + x[3];
s.t. budget: x[1] + x[2] + 2 * x[3] = 4;
solve;
printf "x3 = %g\n", x[3];
end;
