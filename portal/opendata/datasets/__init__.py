"""Every dataset of the open data catalogue, in the catalogue's order, one module per group; the slug
is the dataset's stable name in every address and file name."""

from __future__ import annotations

from portal.opendata.datasets import communes, dashboards, democracy, feedback, one_stop, scoring, surveys, units
from portal.opendata.registry import Dataset

DATASETS: tuple[Dataset, ...] = (
    *units.DATASETS,
    *one_stop.DATASETS,
    *communes.DATASETS,
    *feedback.DATASETS,
    *surveys.DATASETS,
    *scoring.DATASETS,
    *democracy.DATASETS,
    *dashboards.DATASETS,
)
BY_SLUG: dict[str, Dataset] = {dataset.slug: dataset for dataset in DATASETS}
if len(BY_SLUG) != len(DATASETS):
    raise ValueError("Two open datasets share a slug.")


def dataset_get(slug: str) -> Dataset | None:
    return BY_SLUG.get(slug)
