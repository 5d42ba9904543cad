from enum import StrEnum


class KucoinOpenOrderTimeInForce(StrEnum):
    FOK = "FOK"
    GTC = "GTC"
    GTT = "GTT"
    IOC = "IOC"

    def __str__(self) -> str:
        return str(self.value)
