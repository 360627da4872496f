"""The kit's Voila/Jupyter server side: classes the server loads by their dotted names, never physics.

Nothing in the physics modules or in :mod:`qdpv.ui` imports this package; it imports jupyter_server (and
reads Voila's kernel pools), and runs only inside the server process. ``voila.json`` names its classes, and
``binder/postBuild`` copies those names into the Jupyter server's settings for Binder and JupyterHub:

- :mod:`qdpv.serving.websocket`: ``PageKernelWebsocketConnection``, the kernel websocket with
  ``TCP_NODELAY`` set, so that the small messages of a slider move leave at once, and whose handshake gives a
  page the ``_xsrf`` cookie without which Voila refuses to shut the page's kernel down when it is closed
  (``Voila.kernel_websocket_connection_class``, or ``ServerApp.kernel_websocket_connection_class`` when Voila
  runs as a server extension).
- :mod:`qdpv.serving.voila_app`: ``KitVoila``, Voila on its own as ``scripts/run.sh`` starts it
  (``python -m qdpv.serving.voila_app``), which applies ``voila.json``'s ``compress_response``; Voila 0.5.13
  reads its ``tornado_settings`` too late for it. (As a server extension, the Jupyter server applies it.) It
  also installs :mod:`qdpv.serving.templates`.
- :mod:`qdpv.serving.kernel_manager`: ``PoolAwareKernelManager``, the kernel manager under Voila's preheated
  kernel pools, which keeps the idle culler and a dead kernel from reaching a page
  (``VoilaConfiguration.multi_kernel_manager_class``).
- :mod:`qdpv.serving.provisioner`: ``ForkingProvisioner``, the kernel provisioner (entry point
  ``qdpv-forking-provisioner``, ``KernelProvisionerFactory.default_provisioner_name``) that forks each kernel from
  a warm template process, :mod:`qdpv.serving.kernel_template`, which has imported the kit once
  (``ForkingProvisioner.preload``), so that a learner's kernel starts in milliseconds and shares that memory.
- :mod:`qdpv.serving.client`: ``PromptKernelClient``, the kernel client Voila runs a page's notebook with, ready
  as soon as the new kernel has answered and gone idle instead of after 0.2 s of silence on its IOPub channel
  (``AsyncKernelManager.client_class``).
- :mod:`qdpv.serving.templates`: Voila's page templates compiled once per server instead of once per page (a
  Jinja bytecode cache for every page's exporter), installed by ``KitVoila`` and, when Voila runs as a Jupyter
  server extension, by :mod:`qdpv.serving.extension`, the kit's own server extension
  (``ServerApp.jpserver_extensions``).
- :mod:`qdpv.serving.logs`: ``UntrustedNotebookFilter``, which keeps the server's "Notebook ... is not trusted"
  warning, meaningless for Voila, out of the log of a normal start (``Voila.logging_config``).

The versions these modules were measured with are the lower bounds of the ``serving`` optional dependencies in
``pyproject.toml``.
"""
