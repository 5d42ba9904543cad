"""Support for the test suite (no tests here): independent signing oracles, twin drivers.

The test modules import it as `support` (pytest's "prepend" import mode puts tests/ on sys.path,
beside the suite-wide conftest.py).
"""
