#!/usr/bin/python3
"""Builds the account, container and object rings of the local all-in-one Swift.

One device (a plain directory) per ring, one replica, partition power 6: the smallest ring
Swift accepts that still spreads names over partitions. swift.common.ring.RingBuilder is
used directly because the swift-ring-builder CLI takes seconds per invocation.

usage: make_rings.py SWIFT_DIR ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT
"""

import os
import sys

from swift.common.ring import RingBuilder


def build(swift_dir, name, port):
    builder = RingBuilder(part_power=6, replicas=1, min_part_hours=0)
    builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port,
                     'device': 'd1', 'weight': 100.0, 'meta': ''})
    builder.rebalance()
    builder.save(os.path.join(swift_dir, name + '.builder'))
    # Written under a temporary name first: a server never sees half a ring.
    final = os.path.join(swift_dir, name + '.ring.gz')
    builder.get_ring().save(final + '.tmp')
    os.rename(final + '.tmp', final)


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    swift_dir = argv[1]
    for name, port in zip(('account', 'container', 'object'), argv[2:]):
        build(swift_dir, name, int(port))


if __name__ == '__main__':
    main(sys.argv)
