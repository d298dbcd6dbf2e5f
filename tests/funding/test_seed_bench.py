"""`manage.py seed_bench_funding --scale N`: the benchmark's synthetic pipeline, made twice without
duplicates, removed by --scale 0, and readable by the pages."""

from django.core.management import call_command

from funding.models import Award, Bid, Claim, Contribution, Funder
from tests.factories import OrganisationFactory


def counts():
    return [model.objects.count() for model in (Funder, Bid, Contribution, Award, Claim)]


def test_it_makes_a_pipeline_at_scale_and_replaces_it_when_run_again(db):
    for _ in range(4):
        OrganisationFactory()
    call_command("seed_bench_funding", "--scale", "2")
    first = counts()
    assert first[:3] == [6, 60, 180]
    assert Bid.objects.filter(stage="successful").count() == first[3] > 0
    call_command("seed_bench_funding", "--scale", "2")
    assert counts() == first
    call_command("seed_bench_funding", "--scale", "0")
    assert counts() == [0, 0, 0, 0, 0]
