/**
 * The engine adapter SPI: what an adapter for one workflow engine implements so that the adapter
 * runtime can host it.
 *
 * <p>An adapter module provides a {@link io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory}
 * through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory}). The runtime picks the
 * factory whose {@code id()} matches its configuration, validates the configuration, creates one
 * {@link io.kaapana.workflow.adapter.spi.WorkflowAdapter} and drives it: deploy revisions, submit
 * runs, observe them, carry out requested actions, serve logs. The adapter never talks to the
 * Workflow API itself.
 *
 * <p>This package depends on the JDK only. It evolves compatibly: new methods arrive as {@code
 * default} methods, new record components only in new records.
 */
package io.kaapana.workflow.adapter.spi;
