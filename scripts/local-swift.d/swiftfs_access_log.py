"""Swift `log_custom_handlers` hook: writes the proxy access log to a plain file.

The local Swift has no syslog daemon, and benchmarks count proxy requests by reading the
access log. Swift calls this hook for every logger it creates; the first call attaches one
FileHandler to the 'proxy-access' logger (proxy-logging's log route), which every proxy
writes to. Lines look like syslog's: "<log name>: <access log fields>". Each record is
flushed when written, so a request is in the file once its response has been sent.
"""

import logging
import os


def add_file_handler(conf, name, log_to_console, log_route, fmt, logger, adapted_logger):
    path = os.environ.get('SWIFTFS_PROXY_ACCESS_LOG')
    access_logger = logging.getLogger('proxy-access')
    if not path or getattr(access_logger, 'swiftfs_file_handler', None):
        return
    # Imported here: this module is loaded by Swift, never before it.
    from swift.common.utils import SwiftLogFormatter
    handler = logging.FileHandler(path)
    handler.setFormatter(SwiftLogFormatter(fmt='%(server)s: %(message)s'))
    access_logger.addHandler(handler)
    access_logger.swiftfs_file_handler = handler
