-- Argo CD health check for kvrollover.io ServiceFabricCertificateRotation and BatchPoolCertificateRotation.
-- Install: deploy/argocd/README.md. Reads only status written by the operator (kstatus conventions):
--   Progressing  until the operator has observed the current generation, while a step runs (Reconciling=True)
--   Degraded     when Stalled=True (invalid spec, unrecoverable error) or phase Blocked (a blocking hazard)
--   Suspended    when phase Suspended (spec.policy.suspend) or AwaitingApproval (a person must approve a step)
--   Healthy      when Ready=True at the observed generation
--   Progressing  otherwise
local hs = {}

local function condition(status, conditionType)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function withMessage(prefix, c)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return prefix .. ": " .. c.message
  end
  return prefix
end

local function blockingHazards(status)
  local reasons = {}
  if status.hazards ~= nil then
    for _, h in ipairs(status.hazards) do
      if h.severity == "blocking" then
        table.insert(reasons, h.reason)
      end
    end
  end
  return table.concat(reasons, ", ")
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata.generation
if status.observedGeneration ~= nil and generation ~= nil and status.observedGeneration ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local stalled = condition(status, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = withMessage("Stalled", stalled)
  return hs
end

if status.phase == "Blocked" then
  hs.status = "Degraded"
  local reasons = blockingHazards(status)
  if reasons ~= "" then
    hs.message = "Blocked by " .. reasons
  else
    hs.message = "Blocked"
  end
  return hs
end

if status.phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = "Suspended by spec.policy.suspend"
  return hs
end

if status.phase == "AwaitingApproval" then
  hs.status = "Suspended"
  local step = status.currentStep or "the next step"
  hs.message = "Awaiting approval of " .. step .. " (annotation kvrollover.io/approve-step)"
  return hs
end

local reconciling = condition(status, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  if status.currentStep ~= nil then
    hs.message = withMessage("Step " .. status.currentStep, reconciling)
  else
    hs.message = withMessage("Reconciling", reconciling)
  end
  return hs
end

local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = withMessage("Ready", ready)
  return hs
end

hs.status = "Progressing"
hs.message = withMessage("Not ready", ready)
return hs
