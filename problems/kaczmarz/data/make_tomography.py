"""Generates the tomography-like example (problems/kaczmarz/tomography.yaml).

A 24×24 phantom (two discs and a bar) is probed by parallel rays at 12 angles in
[0°, 180°), 24 rays per angle: row i of A holds the length of ray i inside each pixel
(approximated by fine sampling along the ray). b = A·x_true + noise, noise 3% of ‖A x_true‖
in norm. The system (288 × 576) is underdetermined and ill-conditioned, so Kaczmarz
shows semi-convergence: the error to x_true falls, then rises as the iterates fit the noise.
Run: python3 make_tomography.py  (numpy; seed fixed).
"""
import numpy as np

N = 24
angles = np.arange(12) * np.pi / 12
rays = 24
rng = np.random.default_rng(2024)

y, x = np.mgrid[0:N, 0:N] + 0.5
phantom = np.zeros((N, N))
phantom[(x - 8) ** 2 + (y - 9) ** 2 < 20] = 1.0
phantom[(x - 16) ** 2 + (y - 15) ** 2 < 12] = 0.6
phantom[(abs(x - 12) < 2) & (y > 17) & (y < 22)] = 0.8
x_true = phantom.ravel()

entries = {}
row = 0
half = N / 2
step = 0.05
for theta in angles:
    d = np.array([np.cos(theta), np.sin(theta)])
    normal = np.array([-d[1], d[0]])
    for r in range(rays):
        offset = (r + 0.5) * N / rays - half
        t = np.arange(-N, N, step)
        points = half + offset * normal[None, :] + t[:, None] * d[None, :]
        inside = (points[:, 0] >= 0) & (points[:, 0] < N) & (points[:, 1] >= 0) & (points[:, 1] < N)
        cols = (np.floor(points[inside, 1]).astype(int) * N + np.floor(points[inside, 0]).astype(int))
        for c in cols:
            entries[(row, c)] = entries.get((row, c), 0.0) + step
        row += 1

m, n = row, N * N
A = np.zeros((m, n))
for (i, j), v in entries.items():
    A[i, j] = round(v, 6)
clean = A @ x_true
noise = rng.standard_normal(m)
noise *= 0.03 * np.linalg.norm(clean) / np.linalg.norm(noise)
b = clean + noise

nz = np.nonzero(A)
with open("tomography.A.mtx", "w") as f:
    f.write("%%MatrixMarket matrix coordinate real general\n% tomography-like system: see make_tomography.py\n")
    f.write(f"{m} {n} {len(nz[0])}\n")
    for i, j in zip(*nz):
        f.write(f"{i + 1} {j + 1} {float(A[i, j])!r}\n")
for name, vec, note in [("b", b, "noisy right-hand side"), ("x_true", x_true, "phantom")]:
    with open(f"tomography.{name}.mtx", "w") as f:
        f.write(f"%%MatrixMarket matrix array real general\n% {note}\n{len(vec)} 1\n")
        for v in vec:
            f.write(f"{float(v)!r}\n")
print(m, n, len(nz[0]))
