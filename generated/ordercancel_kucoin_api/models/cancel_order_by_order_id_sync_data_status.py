from enum import StrEnum


class CancelOrderByOrderIdSyncDataStatus(StrEnum):
    DONE = "done"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
