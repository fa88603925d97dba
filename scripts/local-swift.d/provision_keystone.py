#!/usr/bin/python3
"""Creates the users, projects, catalog and application credential of the local Keystone.

Runs once after `keystone-manage bootstrap` (which made the admin user, the admin, member
and reader roles, RegionOne and the identity endpoints). Every step finds before it creates,
so a run interrupted half-way can simply be repeated. Prints the application credential as
shell assignments for the credentials file; nothing else goes to stdout.

Environment: KEYSTONE_URL, ADMIN_PASSWORD, SWIFT_SERVICE_PASSWORD, DEMO_PASSWORD,
PROXY_URL_R1, PROXY_URL_R2 (proxy base URLs of RegionOne and RegionTwo).
"""

import os
import secrets

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client as ks_client

APP_CRED_NAME = 'swiftfs-test'


def make_client(url, user, password, project):
    auth = v3.Password(auth_url=url, username=user, password=password, project_name=project,
                       user_domain_id='default', project_domain_id='default')
    return ks_client.Client(session=ks_session.Session(auth=auth))


def first(items):
    return items[0] if items else None


def ensure_project(ks, name):
    return first(ks.projects.list(name=name, domain='default')) or ks.projects.create(
        name=name, domain='default', description='swiftfs local test project')


def ensure_user(ks, name, password, project):
    user = first(ks.users.list(name=name, domain='default'))
    if user:
        ks.users.update(user, password=password)
        return user
    return ks.users.create(name=name, domain='default', password=password,
                           default_project=project)


def grant(ks, role_name, user, project):
    role = first(ks.roles.list(name=role_name))
    if role is None:
        role = ks.roles.create(name=role_name)
    ks.roles.grant(role, user=user, project=project)


def ensure_catalog(ks, identity_url, regions):
    """regions: {region: swift proxy base URL}. Both regions share the one Keystone."""
    object_store = first(ks.services.list(type='object-store')) or ks.services.create(
        name='swift', type='object-store', description='Swift object storage')
    identity = first(ks.services.list(type='identity'))
    existing = ks.endpoints.list()
    for region, swift_url in regions.items():
        if not any(r.id == region for r in ks.regions.list()):
            ks.regions.create(id=region)
        wanted = [(object_store, swift_url + '/v1/AUTH_%(tenant_id)s'),
                  (identity, identity_url + '/v3')]
        for service, url in wanted:
            for interface in ('public', 'internal', 'admin'):
                if any(e.service_id == service.id and e.region_id == region and
                       e.interface == interface for e in existing):
                    continue
                ks.endpoints.create(service=service, url=url, interface=interface,
                                    region=region)


def ensure_app_credential(ks_demo, user_id):
    # The secret cannot be read back, so an existing credential is replaced.
    for cred in ks_demo.application_credentials.list(user=user_id):
        if cred.name == APP_CRED_NAME:
            ks_demo.application_credentials.delete(cred)
    secret = secrets.token_hex(16)
    cred = ks_demo.application_credentials.create(
        name=APP_CRED_NAME, user=user_id, secret=secret,
        description='swiftfs integration tests')
    return cred.id, secret


def main():
    env = os.environ
    url = env['KEYSTONE_URL']
    admin = make_client(url + '/v3', 'admin', env['ADMIN_PASSWORD'], 'admin')

    service = ensure_project(admin, 'service')
    swift_user = ensure_user(admin, 'swift', env['SWIFT_SERVICE_PASSWORD'], service)
    grant(admin, 'admin', swift_user, service)
    grant(admin, 'service', swift_user, service)

    demo_project = ensure_project(admin, 'demo')
    demo_user = ensure_user(admin, 'demo', env['DEMO_PASSWORD'], demo_project)
    grant(admin, 'member', demo_user, demo_project)

    ensure_catalog(admin, url, {'RegionOne': env['PROXY_URL_R1'],
                                'RegionTwo': env['PROXY_URL_R2']})

    demo = make_client(url + '/v3', 'demo', env['DEMO_PASSWORD'], 'demo')
    cred_id, secret = ensure_app_credential(demo, demo_user.id)
    print('SWIFTFS_APP_CRED_ID=%s' % cred_id)
    print('SWIFTFS_APP_CRED_SECRET=%s' % secret)


if __name__ == '__main__':
    main()
