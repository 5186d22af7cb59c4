"""DCAT-AP 3 catalogue of the datasets a hub holds, own and federated."""
