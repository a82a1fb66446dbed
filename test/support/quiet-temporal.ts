import { DefaultLogger, Runtime } from '@temporalio/worker';

// In-process workers in tests log at WARN: bundle stats and state changes only drown the test output.
Runtime.install({ logger: new DefaultLogger('WARN') });
