from . import test_box_jobs
from . import test_box_tours
