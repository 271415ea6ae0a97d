"""Write services of funding, one module per rule, each write `<thing>_<verb>`,
atomic, refusing with `FundingError`: `applications` (status moves),
`eligibility`, `assignment`, `reviews`, `funding_line`, `notices`, `tranches`,
`disbursements`, `awards`, `purchases`. Reads are in `funding.selectors`."""
