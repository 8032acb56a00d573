from demo.data.communes.procedures import *  # noqa: F403 - split into modules next
