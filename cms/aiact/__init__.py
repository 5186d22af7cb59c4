"""AI Act readiness of a deployer's project: the registration package of Annex
VIII Section C, the fundamental rights impact assessment of Art. 27(1), and what
a record in a restricted Annex III area may carry beyond its hub."""
