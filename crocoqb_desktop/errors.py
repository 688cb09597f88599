"""Domain errors. Each carries a short user-facing title, a plain message and, where there is one, the fix.

Messages never contain secrets: callers pass only ids, codes and human text.
"""

from __future__ import annotations

from crocoqb_desktop.messages import Message, message

Text = str | Message


class CrocoQBError(Exception):
    """Base of every error the app shows to a user.

    `title`, `message` and `fix` are always the English text (str) on an instance; the `*_msg`
    properties give the same as data (a Message with id and values) when there is one, to log or show
    in the user's language. Class-level `title`/`fix` may be Messages; __init__ turns them into text.
    """

    title: Text = message("error.generic.title", "Something went wrong")
    fix: Text = ""
    #: exit code for the CLI when this error stops a command
    exit_code: int = 2

    def __init__(self, message: Text, *, title: Text | None = None, fix: Text | None = None) -> None:
        super().__init__(str(message))
        title = type(self).title if title is None else title
        fix = type(self).fix if fix is None else fix
        #: the message as data (id + values) when the raiser gave one, for rendering in the user's language
        self.message_data: Message | None = message if isinstance(message, Message) else None
        self.fix_data: Message | None = fix if isinstance(fix, Message) else None
        self.title_data: Message | None = title if isinstance(title, Message) else None
        self.message = str(message)
        self.title = str(title)
        self.fix = str(fix)

    @property
    def message_msg(self) -> Text:
        return self.message_data or self.message

    @property
    def title_msg(self) -> Text:
        return self.title_data or str(self.title)

    @property
    def fix_msg(self) -> Text | None:
        """The fix as data, or None when there is none (to pass as `fix=` to store.log)."""
        return self.fix_data or (str(self.fix) or None)

    def set_message(self, msg: Text) -> None:
        """Replace the message with a more specific one (e.g. adding the location being checked)."""
        self.message_data = msg if isinstance(msg, Message) else None
        self.message = str(msg)
        self.args = (self.message,)

    def user_text(self) -> str:
        return str(self.user_message())

    def user_message(self) -> Message:
        """Title, message and fix as one message (the CLI prints it; the sync summary logs it)."""
        if self.fix:
            return message("error.user_text.fix", "{title}: {message}\nWhat to do: {fix}", title=self.title_msg,
                           message=self.message_msg, fix=self.fix_msg)
        return message("error.user_text", "{title}: {message}", title=self.title_msg, message=self.message_msg)


class SettingsError(CrocoQBError):
    title = message("error.settings.title", "Invalid setting")


class KeychainError(CrocoQBError):
    title = message("error.keychain.title", "Keychain unavailable")
    fix = message(
        "error.keychain.fix",
        "Unlock or install the system keychain (Keychain on macOS, Credential Manager on Windows, "
        "a Secret Service such as GNOME Keyring on Linux), then try again. "
        "CrocoQB never stores secrets in plain files.",
    )


class NotConfiguredError(CrocoQBError):
    title = message("error.not_configured.title", "Not set up yet")


class ServiceError(CrocoQBError):
    """A remote service (CrocoClick or QuickBooks) answered with an error or could not be reached."""

    title = message("error.service.title", "Service error")

    def __init__(
        self,
        message: Text,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        title: Text | None = None,
        fix: Text | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message, title=title, fix=fix)
        self.status = status
        self.code = code
        self.request_id = request_id
        self.retryable = retryable


class NetworkError(ServiceError):
    title = message("error.network.title", "Cannot reach the service")
    fix = message("error.network.fix", "Check the internet connection; the sync will try again automatically.")

    def __init__(self, message: Text, **kwargs: object) -> None:
        kwargs.setdefault("retryable", True)
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class ProtocolError(ServiceError):
    """The server answered something that does not follow its contract (bad JSON, wrong type...)."""

    title = message("error.protocol.title", "Unexpected answer from the service")
    fix = message("error.protocol.fix", "This is usually temporary. If it persists, export a diagnostic bundle and contact support.")


class RecordError(CrocoQBError):
    """One record cannot be synced; the rest of the sync goes on. Logged with its reason and fix."""

    title = message("error.record.title", "Record not synced")
    exit_code = 1


class ReconnectNeeded(CrocoQBError):
    title = message("error.reconnect_needed.title", "QuickBooks needs to be reconnected")
    fix = message("error.reconnect_needed.fix", "Open CrocoQB and press Reconnect, then sign in to QuickBooks again. Nothing is lost meanwhile.")
