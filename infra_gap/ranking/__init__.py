"""Stage 3, ranking: weights, scores, stability draws, scenarios and BAKTI eligibility."""
