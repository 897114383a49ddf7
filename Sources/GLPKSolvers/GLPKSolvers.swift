// GLPK-backed solver plugins: GLPKSimplexSolver (glpk.simplex) and GLPKInteriorSolver
// (glpk.interior). See docs/glpk.md for the status mapping and design notes.
import LagrangeCore
