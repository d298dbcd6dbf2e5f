from tests.test_permission_matrix import world  # noqa: F401 (the permission matrix's records, as a fixture)
