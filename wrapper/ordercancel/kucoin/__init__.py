"""KuCoin Spot: the five HF cancel endpoints."""
