// ProjectModel module.
