print("lagrange")
