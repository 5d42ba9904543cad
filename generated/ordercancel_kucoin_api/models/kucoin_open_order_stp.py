from enum import StrEnum


class KucoinOpenOrderStp(StrEnum):
    CB = "CB"
    CN = "CN"
    CO = "CO"
    DC = "DC"

    def __str__(self) -> str:
        return str(self.value)
