from tests.test_permission_matrix import world  # noqa: F401 (the permission matrix's records, as a fixture)
from tests.workers.conftest import postgres_test_database, redis  # noqa: F401 (a private Redis to stop)
