"""Domain errors. Each carries a short user-facing title, a plain message and, where there is one, the fix.

Messages never contain secrets: callers pass only ids, codes and human text.
"""

from __future__ import annotations

from crocoqb_desktop.messages import Message


class CrocoQBError(Exception):
    """Base of every error the app shows to a user."""

    title: str = "Something went wrong"
    fix: str = ""
    #: exit code for the CLI when this error stops a command
    exit_code: int = 2

    def __init__(self, message: str | Message, *, title: str | None = None, fix: str | Message | None = None) -> None:
        super().__init__(str(message))
        #: the message as data (id + values) when the raiser gave one, for rendering in the user's language
        self.message_data: Message | None = message if isinstance(message, Message) else None
        self.fix_data: Message | None = fix if isinstance(fix, Message) else None
        self.message = str(message)
        if title is not None:
            self.title = title
        if fix is not None:
            self.fix = str(fix)

    def user_text(self) -> str:
        text = f"{self.title}: {self.message}"
        if self.fix:
            text += f"\nWhat to do: {self.fix}"
        return text


class SettingsError(CrocoQBError):
    title = "Invalid setting"


class KeychainError(CrocoQBError):
    title = "Keychain unavailable"
    fix = (
        "Unlock or install the system keychain (Keychain on macOS, Credential Manager on Windows, "
        "a Secret Service such as GNOME Keyring on Linux), then try again. "
        "CrocoQB never stores secrets in plain files."
    )


class NotConfiguredError(CrocoQBError):
    title = "Not set up yet"


class ServiceError(CrocoQBError):
    """A remote service (CrocoClick or QuickBooks) answered with an error or could not be reached."""

    title = "Service error"

    def __init__(
        self,
        message: str | Message,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        title: str | None = None,
        fix: str | Message | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message, title=title, fix=fix)
        self.status = status
        self.code = code
        self.request_id = request_id
        self.retryable = retryable


class NetworkError(ServiceError):
    title = "Cannot reach the service"
    fix = "Check the internet connection; the sync will try again automatically."

    def __init__(self, message: str, **kwargs: object) -> None:
        kwargs.setdefault("retryable", True)
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class ProtocolError(ServiceError):
    """The server answered something that does not follow its contract (bad JSON, wrong type...)."""

    title = "Unexpected answer from the service"
    fix = "This is usually temporary. If it persists, export a diagnostic bundle and contact support."


class RecordError(CrocoQBError):
    """One record cannot be synced; the rest of the sync goes on. Logged with its reason and fix."""

    title = "Record not synced"
    exit_code = 1


class ReconnectNeeded(CrocoQBError):
    title = "QuickBooks needs to be reconnected"
    fix = "Open CrocoQB and press Reconnect, then sign in to QuickBooks again. Nothing is lost meanwhile."
