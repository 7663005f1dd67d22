#!/usr/bin/env bash
# Stands in for Argo's executor, which cannot run under kwok: for every Argo pod that ended, writes
# the WorkflowTaskResult the executor would have written (the controller waits for it), with
# output parameters from the pod's annotations "sim.kwok/output.<name>: <value>" and the result
# from "sim.kwok/result" (set through the template's metadata.annotations). One watch, idle when
# nothing happens; started and stopped by real-argo-env.sh.
set -uo pipefail
: "${KUBECONFIG:?}"
to_task_result='select(.kind == "Pod"
    and (.status.phase == "Succeeded" or .status.phase == "Failed")
    and .metadata.deletionTimestamp == null)
  | (.metadata.annotations // {}) as $notes
  | {namespace: .metadata.namespace, pod: .metadata.name,
     result: {apiVersion: "argoproj.io/v1alpha1", kind: "WorkflowTaskResult",
       metadata: {name: $notes["workflows.argoproj.io/node-id"], namespace: .metadata.namespace,
         labels: {"workflows.argoproj.io/workflow": .metadata.labels["workflows.argoproj.io/workflow"],
                  "workflows.argoproj.io/report-outputs-completed": "true"},
         ownerReferences: .metadata.ownerReferences},
       outputs: ({parameters: [$notes | to_entries[] | select(.key | startswith("sim.kwok/output."))
                               | {name: (.key | ltrimstr("sim.kwok/output.")), value: .value}]}
                 + (if $notes["sim.kwok/result"] then {result: $notes["sim.kwok/result"]} else {} end))}}'
while true; do
  kubectl get pods --all-namespaces --watch --output json \
    --selector 'workflows.argoproj.io/workflow,!sim.kwok/task-result' 2>/dev/null |
    jq --compact-output --unbuffered "$to_task_result" |
    while read -r ended; do
      namespace=$(jq -r .namespace <<<"$ended")
      pod=$(jq -r .pod <<<"$ended")
      jq .result <<<"$ended" | kubectl apply -f - >/dev/null &&
        kubectl label --overwrite pod -n "$namespace" "$pod" sim.kwok/task-result=written >/dev/null &&
        echo "task result of $namespace/$pod"
    done
  sleep 1 # the watch ended (the API server restarted, or timed out): watch again
done
