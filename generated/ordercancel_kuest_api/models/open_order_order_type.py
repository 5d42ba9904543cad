from enum import StrEnum


class OpenOrderOrderType(StrEnum):
    FAK = "FAK"
    FOK = "FOK"
    GTC = "GTC"
    GTD = "GTD"

    def __str__(self) -> str:
        return str(self.value)
