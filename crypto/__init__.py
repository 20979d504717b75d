"""Everything that must be exactly right and is shared by nodes and the broker.

Key derivation, the PSI wrapper, query envelopes, the federation PKI and the
error tree. Imports flow one way: ``proto`` <- ``crypto`` <- ``node``/``broker``.
"""
