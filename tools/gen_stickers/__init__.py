"""Generator of the built-in sticker library (assets/stickers). Run: python -m tools.gen_stickers"""
