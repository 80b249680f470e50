"""Generator of the built-in colour looks (assets/looks/*.cube). Run: python -m tools.gen_looks"""
