"""UK financial-year periods (1 April to 31 March), as the roadmap and the Board's reports use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

QUARTER_STARTS = [(4, 1), (7, 1), (10, 1), (1, 1)]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def financial_year(self) -> int:
        """The year the financial year starts in: 2026 for 2026-27."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def is_quarter(self) -> bool:
        return (self.end - self.start).days < 100

    @property
    def quarter(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def key(self) -> str:
        return f"{self.financial_year}-Q{self.quarter}" if self.is_quarter else f"{self.financial_year}"

    @property
    def label(self) -> str:
        year = f"{self.financial_year}-{(self.financial_year + 1) % 100:02d}"
        if not self.is_quarter:
            return f"financial year {year}"
        return f"Q{self.quarter} {year} ({self.start:%-d %B} to {self.end:%-d %B %Y})"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def quarter(financial_year: int, number: int) -> Period:
    if number not in (1, 2, 3, 4):
        raise ValueError("a quarter is 1 to 4")
    month = 4 + 3 * (number - 1)
    year = financial_year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    next_month = month + 3
    end = date(year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end)


def financial_year(year: int) -> Period:
    return Period(date(year, 4, 1), date(year + 1, 3, 31))


def quarter_of(day: date) -> Period:
    year = day.year if day.month >= 4 else day.year - 1
    return quarter(year, (day.month - 4) % 12 // 3 + 1)


def year_of(day: date) -> Period:
    return financial_year(day.year if day.month >= 4 else day.year - 1)


def parse(key: str) -> Period:
    """ "2026-Q1" (a quarter of the financial year 2026-27) or "2026" (the whole year). Raises
    ValueError for anything else."""
    key = key.strip()
    if "-Q" in key:
        year, number = key.split("-Q", 1)
        return quarter(int(year), int(number))
    return financial_year(int(key))


def previous_quarter(period: Period) -> Period:
    return quarter_of(period.start - timedelta(days=1))
