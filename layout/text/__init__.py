"""Chinese line composition: break units, prohibitions, punctuation widths, justification."""
