"""The user's personal dictionary: words they added from a spelling card, kept in a file.

The file is plain UTF-8, one word a line, in the server's config folder
(`socialcheck serve` uses server.pairing.config_dir()); without a file the words
live as long as the process. Every change is handed to the checker at once
(checker.grammar.dictionary.extra_words), which Harper, our spelling rules and the
response cache all follow.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from checker.grammar.dictionary import extra_words, valid_word

FILE_NAME = "dictionary.txt"
MAX_WORDS = 2_000  # far beyond anyone's names and terms; Harper probes each new word once (~15 ms)
HEADER = "# Socialcheck personal dictionary: one word a line. Edit it here or in the extension's options.\n"


class PersonalDictionary:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._words: list[str] = self._read()
        extra_words.set(self._words)

    def _read(self) -> list[str]:
        if self.path is None:
            return []
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError):
            return []  # a damaged file must not stop the server: it is rewritten on the next change
        words: dict[str, None] = {}
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                words.setdefault(valid_word(line), None)
            except ValueError:
                continue
        return list(words)[:MAX_WORDS]

    def words(self) -> list[str]:
        with self._lock:
            return list(self._words)

    def add(self, word: str) -> list[str]:
        """Add a word (raises ValueError for one that is not a single word, or when full)."""
        clean = valid_word(word)
        with self._lock:
            if clean not in self._words:
                if len(self._words) >= MAX_WORDS:
                    raise ValueError(f"the personal dictionary holds at most {MAX_WORDS:,} words")
                self._words.append(clean)
                self._save()
            return list(self._words)

    def remove(self, word: str) -> list[str]:
        """Remove a word; removing one that is not there changes nothing."""
        clean = word.strip() if isinstance(word, str) else ""
        with self._lock:
            if clean in self._words:
                self._words.remove(clean)
                self._save()
            return list(self._words)

    def _save(self) -> None:
        """Write the file whole and then swap it in, so a crash never leaves half a dictionary."""
        extra_words.set(self._words)
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".dictionary-", suffix=".txt")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(HEADER)
                handle.writelines(f"{word}\n" for word in sorted(self._words, key=str.casefold))
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
