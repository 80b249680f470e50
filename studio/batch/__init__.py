"""Batches of outputs from one project: campaign variants (variants.py), the plan that turns them
into render jobs (plan.py), the batch report (report.py) and running jobs on a dask cluster
(cluster.py). The rendering itself is studio.render.batch's."""
