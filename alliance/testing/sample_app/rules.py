READER = "sample_reader"

RULES = {"sample.notes.view": frozenset({READER})}


def roles_of(user) -> set[str]:
    """This app grants its own role, as a state-scoped app would grant a curator's."""
    return {READER} if user.username == "sample-reader" else set()
