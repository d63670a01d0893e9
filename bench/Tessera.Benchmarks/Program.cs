// Placeholder entry point; the benchmarks are built in the benchmark work.
return 0;
