"""Log lines as JSON objects, one per line, for a log collector (`LOG_FORMAT=json`).

A dozen lines of our own rather than a dependency: the standard library formats the message
and the traceback; this only chooses the fields. Log lines never carry student data (the audit
log is where reads and writes of records are kept).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
