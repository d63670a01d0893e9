// Placeholder entry point; the commands are built in the CLI work.
return 0;
