// Each test class starts several server processes, nginx, and for some PostgreSQL and Redis: one
// class at a time keeps a 2-core CI machine from thrashing (and the timings of faults readable).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
