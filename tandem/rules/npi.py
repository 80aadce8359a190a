"""The National Provider Identifier's check digit (CMS, "Requirements for NPI check digit").

An NPI is ten digits: nine identifying digits and a Luhn check digit computed over the nine
with the card-issuer prefix 80840 in front, which is the same as adding the constant 24 to the
Luhn sum of the nine digits alone.
"""

from __future__ import annotations

PREFIX_CONSTANT = 24  # the Luhn sum contributed by the prefix 80840


def check_digit(first_nine: str) -> int:
    """The check digit for nine identifying digits."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("nine digits expected")
    total = PREFIX_CONSTANT
    # From the rightmost identifying digit, every other digit is doubled (its digits summed).
    for position, char in enumerate(reversed(first_nine)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def is_valid(npi: str) -> bool:
    """Whether `npi` is ten digits whose last is the check digit of the first nine."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    return check_digit(npi[:9]) == int(npi[9])
