from enum import StrEnum


class CancelOrderByClientOidSyncDataStatus(StrEnum):
    DONE = "done"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
