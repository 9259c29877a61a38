# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
"""HPIPS functional test framework (Python standard library only)."""
